/* bench_dkim_sign.c - the DKIM signer alone (mail/dkim.c): CPU per signed ~3.5 KB
 * newsletter copy, for an RSA-2048 and an Ed25519 key. Ceiling: the signature itself, as
 * `openssl speed` measures it in the same run; the difference is ours (splitting,
 * canonicalization, hashing, the field). Usage: bench_dkim_sign [N]. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "base/config.h"
#include "mail/dkim.h"

/* cpu_us - CPU time of this process in microseconds */
static gint64 cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* message - a newsletter copy like bench_newsletter's */
static GBytes *message(void)
{
	GString *m = g_string_new(
		"From: Campaign Team <team@act.example.org>\r\n"
		"To: Member 1 Example <member1@example.net>\r\n"
		"Subject: Close the streets around our schools\r\n"
		"Date: Thu, 03 Dec 2026 10:00:00 +0000\r\n"
		"Message-ID: <n1.m1.abcdefgh@act.example.org>\r\n"
		"List-Id: Campaign news <news.act.example.org>\r\n"
		"List-Unsubscribe: <mailto:leave+abcdefghijklmnopqrstuvwx@act.example.org>,\r\n"
		" <https://act.example.org/u/abcdefghijklmnopqrstuvwx>\r\n"
		"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
		"List-Subscribe: <mailto:news+subscribe@act.example.org>\r\n"
		"List-Post: NO\r\nList-Owner: <mailto:team@act.example.org>\r\n"
		"Precedence: bulk\r\nMIME-Version: 1.0\r\n"
		"Content-Type: multipart/alternative; boundary=\"=-abcdef\"\r\n\r\n");

	while (m->len < 3400)
		g_string_append(m, "Our children breathe the fumes of the school run every  \r\n"
			       "morning.   We are asking the council to close the streets.\r\n\r\n");
	return g_string_free_to_bytes(m);
}

/* run - N signatures with key_file (NULL: canonicalization and hashing only); us each */
static double run(const char *key_file, GBytes *msg, int n)
{
	PmConfig cfg = { 0 };
	PmDkimKey k = { (char *)"act.example.org", (char *)"s1", (char *)key_file };
	DkimSigner *s;
	GError *e = NULL;
	gint64 t;

	cfg.dkim = g_ptr_array_new();
	g_ptr_array_add(cfg.dkim, &k);
	if ((s = dkim_signer_new(&cfg, &e)) == NULL) {
		fprintf(stderr, "bench_dkim_sign: %s\n", e ? e->message : "no signer");
		exit(1);
	}
	t = cpu_us();
	for (int i = 0; i < n; i++)
		g_bytes_unref(dkim_signer_sign(s, msg, NULL));
	t = cpu_us() - t;
	dkim_signer_free(s);
	g_ptr_array_unref(cfg.dkim);
	return (double)t / n;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	char *dir = g_dir_make_tmp("pm-bench-dkim-XXXXXX", NULL), *cmd, *rsa, *ed;
	GBytes *msg = message();
	double r, d;

	rsa = g_build_filename(dir, "rsa.pem", NULL);
	ed = g_build_filename(dir, "ed.pem", NULL);
	cmd = g_strdup_printf("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out %s "
			      "2>/dev/null && openssl genpkey -algorithm ed25519 -out %s 2>/dev/null",
			      rsa, ed);
	if (system(cmd) != 0) {
		printf("openssl not found: skipped\n");
		return 0;
	}
	g_free(cmd);
	r = run(rsa, msg, n / 4);
	d = run(ed, msg, n);
	printf("DKIM signer, %zu-byte message: rsa-sha256 (2048) %.0f us, ed25519-sha256 %.0f us "
	       "CPU per message\n", g_bytes_get_size(msg), r, d);
	printf("ceiling, the signature alone (openssl speed, same run):\n");
	fflush(stdout);
	if (system("openssl speed -seconds 1 rsa2048 ed25519 2>/dev/null | "
		   "awk '/^rsa 2048/ { printf \"  rsa 2048 sign %.0f us\\n\", 1e6 / $6 } "
		   "/^ +253 bits/ { printf \"  ed25519 sign %.0f us\\n\", 1e6 / $7 }'") != 0)
		printf("  (openssl speed failed)\n");
	cmd = g_strdup_printf("rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	g_free(cmd);
	g_free(rsa);
	g_free(ed);
	g_free(dir);
	g_bytes_unref(msg);
	return 0;
}
