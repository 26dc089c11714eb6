/* test_ratelimit.c - per-key counters in fixed windows; the table stays bounded under a
 * flood of distinct keys and evicts the oldest window first */
#include "harness.h"
#include "base/ratelimit.h"

TEST(limit_and_window)
{
	RateLimit *r = ratelimit_new(3, 60, 100);
	int ok = 0;

	for (int i = 0; i < 5; i++)
		ok += ratelimit_hit(r, "192.0.2.1", 1000);
	INT_EQ(ok, 3, "three attempts allowed, then refused");
	OK(ratelimit_hit(r, "192.0.2.2", 1000), "another key has its own count");
	OK(!ratelimit_hit(r, "192.0.2.1", 1059), "still refused within the window");
	OK(ratelimit_hit(r, "192.0.2.1", 1060), "a new window allows again");
	ratelimit_free(r);
}

TEST(bounded)
{
	RateLimit *r = ratelimit_new(2, 3600, 1000);
	char key[32];

	OK(ratelimit_hit(r, "198.51.100.7", 1) && ratelimit_hit(r, "198.51.100.7", 1),
	   "the flooder's own two attempts");
	OK(!ratelimit_hit(r, "198.51.100.7", 2), "its third is refused");
	for (int i = 0; i < 100000; i++) {
		g_snprintf(key, sizeof key, "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
		ratelimit_hit(r, key, 10 + i / 1000);
	}
	INT_EQ(ratelimit_size(r), 1000, "100,000 distinct keys: the table holds 1,000");
	OK(ratelimit_hit(r, "10.1.134.159", 200), "the newest key is kept: its second attempt");
	OK(!ratelimit_hit(r, "10.1.134.159", 200), "... and its third is refused (its count kept)");
	OK(ratelimit_hit(r, "198.51.100.7", 200), "the oldest was evicted: it counts afresh");
	INT_EQ(ratelimit_size(r), 1000, "still 1,000");
	ratelimit_free(r);
}

TEST(restart_moves_to_tail)
{
	RateLimit *r = ratelimit_new(1, 10, 2);

	OK(ratelimit_hit(r, "a", 0), "a");
	OK(ratelimit_hit(r, "b", 5), "b");
	OK(ratelimit_hit(r, "a", 10), "a's window restarts: a is now the youngest");
	OK(ratelimit_hit(r, "c", 11), "c evicts b, the oldest window");
	OK(!ratelimit_hit(r, "a", 12), "a is still counted");
	OK(ratelimit_hit(r, "b", 12), "b was forgotten");
	ratelimit_free(r);
}

int main(void)
{
	RUN(limit_and_window);
	RUN(bounded);
	RUN(restart_moves_to_tail);
	return harness_done();
}
