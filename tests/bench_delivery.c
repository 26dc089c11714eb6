/*
 * bench_delivery.c - compiling a large petition into per-target messages.
 *
 * N signatures (default 1,000,000; argv[1] overrides) from members spread over five
 * districts, six targets (one per district and one without a district, who receives all).
 * Times delivery_queue: one pass over the signatures, streamed CSV per target (gzip'd
 * past the threshold), cover letters composed and queued in the outbox, one transaction.
 * Each size runs in a child process so peak RSS (ru_maxrss) is that size's own; the
 * baseline is the child's peak after generating the data and before compiling.
 * Ceilings: 30 s and 400 MB for a million signatures.
 */
#include <gmime/gmime.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "produce/delivery_send.h"
#include "model/delivery.h"
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include "model/petition.h"
#include "model/schema.h"

#define CEILING_S 30.0
#define CEILING_MB 400.0

static long peak_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* run - generate n signatures in a fresh database and compile them; 0 when in ceiling */
static int run(int n, gboolean check)
{
	const char *top = g_getenv("PEERMAIL_TOP");
	char *dir = g_dir_make_tmp("peermail-bench-XXXXXX", NULL);
	char *conf = g_build_filename(dir, "peermail.conf", NULL);
	char *templates = g_build_filename(top ? top : ".", "templates", NULL);
	char *text = g_strdup_printf("domain = \"act.test\"\ndatabase = \"d.db\"\ntemplates = "
				     "\"%s\"\nfrom = \"Team <team@act.test>\"\nsyslog = false\n",
				     templates);
	static const char *const districts[] = { "North", "South", "East", "West", "Central" };
	PmConfig *cfg;
	PmDb *db;
	PmSecret *key = secret_new_from_bytes((const guint8 *)"bench-secret-bench-secret-bench!", 32);
	GError *e = NULL;
	gint64 t0, t1, t2, csv = 0, gz = 0, msg = 0;
	long base_kb, peak;
	int queued = 0, rc = 0;
	double secs, mb;

	g_file_set_contents(conf, text, -1, NULL);
	cfg = config_load(conf, &e);
	db = cfg ? db_open(cfg->database, schema_peermail(), TRUE, &e) : NULL;
	if (db == NULL) {
		fprintf(stderr, "bench_delivery: %s\n", e->message);
		return 2;
	}
	t0 = g_get_monotonic_time();
	db_begin(db, NULL);
	petition_create(db, cfg, "big", "A very large petition", "Please act.", n, 0, NULL);
	for (int i = 0; i < 5; i++) {
		char *email = g_strdup_printf("mp%d@parl.test", i);
		char *slugs[] = { "big", NULL };

		target_add(db, cfg, districts[i], email, "MP", districts[i], slugs, NULL);
		g_free(email);
	}
	{
		char *slugs[] = { "big", NULL };
		target_add(db, cfg, "Minister", "minister@gov.test", "Minister", NULL, slugs, NULL);
	}
	if (!db_exec(db, &e, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
		     "WHERE i < ?) INSERT INTO members(email, name, postcode, district, created_at, "
		     "updated_at) SELECT printf('m%07d@example.org', i), printf('Signer Number %d', "
		     "i), printf('AB%d %dCD', i % 5, i % 10), CASE i % 5 WHEN 0 THEN 'North' WHEN 1 "
		     "THEN 'South' WHEN 2 THEN 'East' WHEN 3 THEN 'West' ELSE 'Central' END, "
		     "1700000000, 1700000000 FROM n", "i", (gint64)n) ||
	    !db_exec(db, &e, "INSERT INTO signatures(petition_id, member_id, status, comment, "
		     "created_at, confirmed_at) SELECT 1, id, 'confirmed', CASE WHEN id % 10 = 0 "
		     "THEN 'Because it matters to my family, and to \"everyone\" here.' END, "
		     "1700000000 + id, 1700000000 + id FROM members", NULL) ||
	    !db_commit(db, &e)) {
		fprintf(stderr, "bench_delivery: %s\n", e->message);
		return 2;
	}
	t1 = g_get_monotonic_time();
	base_kb = peak_kb();
	if (!delivery_queue(db, cfg, key, 1, "manual", &queued, &e)) {
		fprintf(stderr, "bench_delivery: %s\n", e->message);
		return 2;
	}
	t2 = g_get_monotonic_time();
	peak = peak_kb();
	db_int(db, NULL, &csv, 0, "SELECT sum(csv_bytes) FROM deliveries", NULL);
	db_int(db, NULL, &gz, 0, "SELECT sum(gzipped) FROM deliveries", NULL);
	db_int(db, NULL, &msg, 0, "SELECT sum(length(message)) FROM outbox_message", NULL);
	secs = (t2 - t1) / 1e6;
	mb = peak / 1024.0;
	printf("deliver %d signatures to 6 targets (5 districts + all): %.2f s compile+compose+queue "
	       "(ceiling %.0f s), peak RSS %.1f MB (%.1f MB before compiling; ceiling %.0f MB); "
	       "%d messages, %.1f MB of CSV, %" G_GINT64_FORMAT " gzip'd above %.0f MB, %.1f MB "
	       "queued; data generation %.1f s\n", n, secs, CEILING_S, mb, base_kb / 1024.0,
	       CEILING_MB, queued, csv / 1048576.0, gz, cfg->delivery_gzip_above / 1048576.0,
	       msg / 1048576.0, (t1 - t0) / 1e6);
	if (check && (secs > CEILING_S || mb > CEILING_MB || queued != 6))
		rc = 1;
	db_close(db);
	config_free(cfg);
	secret_free(key);
	for (const char *const *f = (const char *const[]){ "d.db", "d.db-wal", "d.db-shm",
							    "peermail.conf", NULL }; *f; f++) {
		char *path = g_build_filename(dir, *f, NULL);
		g_unlink(path);
		g_free(path);
	}
	g_rmdir(dir);
	g_free(dir);
	g_free(conf);
	g_free(templates);
	g_free(text);
	return rc;
}

int main(int argc, char **argv)
{
	int sizes[] = { 100000, argc > 1 ? atoi(argv[1]) : 1000000 };
	int rc = 0;

	for (int i = 0; i < 2; i++) {
		pid_t pid = fork();
		int status = 0;

		if (pid == 0) {
			g_mime_init();
			int r = run(sizes[i], i == 1);

			fflush(stdout);
			_exit(r);
		}
		waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			rc = 1;
	}
	return rc;
}
