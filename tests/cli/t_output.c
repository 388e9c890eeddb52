/* t_output.c -- cli/output.c: a result reaches -o FILE whole or not at all
 * (no partial file, no temporary left behind), and both programs' failure
 * line "PROGRAM: cannot write 'PATH': REASON" with exit status 1. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "spow_cli.h"
#include "check_main.h"

static void usage(FILE *f)
{
    (void)f;
}

static const spow_cli cli = { "t-output", usage };

static int write_hello(FILE *f, const void *ctx)
{
    return fputs((const char *)ctx, f) < 0;
}

/* writes half, then fails as an emitter does on a bad value */
static int write_fails(FILE *f, const void *ctx)
{
    (void)ctx;
    fputs("partial", f);
    errno = EDOM;
    return -6;
}

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/t-output.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* entries of dir other than . and .. */
static int entries(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "ls -A %s | wc -l", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    ck_assert_int_eq(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

START_TEST(test_atomic)
{
    make_dir();
    char path[128], buf[64] = "";
    snprintf(path, sizeof path, "%s/out.txt", dir);
    ck_assert_int_eq(spow_cli_write_atomic(path, write_hello, "hello\n"), 0);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(fgets(buf, sizeof buf, f));
    fclose(f);
    ck_assert_str_eq(buf, "hello\n");
    ck_assert_int_eq(entries(), 1);
    /* a failing writer leaves the old file as it was and no temporary */
    errno = 0;
    ck_assert_int_eq(spow_cli_write_atomic(path, write_fails, NULL), -1);
    ck_assert_int_eq(errno, EDOM);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(fgets(buf, sizeof buf, f));
    fclose(f);
    ck_assert_str_eq(buf, "hello\n");
    ck_assert_int_eq(entries(), 1);
    /* a directory that does not exist */
    char missing[160];
    snprintf(missing, sizeof missing, "%s/no/such/out.txt", dir);
    ck_assert_int_eq(spow_cli_write_atomic(missing, write_hello, "x"), -1);
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_int_eq(entries(), 1);
    remove(path);
    rmdir(dir);
}
END_TEST

START_TEST(test_reported)
{
    make_dir();
    char missing[160], errbuf[512] = "";
    snprintf(missing, sizeof missing, "%s/no/out.txt", dir);
    FILE *err = tmpfile();
    FILE *saved = stderr;
    stderr = err;
    int rc = spow_cli_write(&cli, missing, write_hello, "x");
    stderr = saved;
    rewind(err);
    ck_assert_ptr_nonnull(fgets(errbuf, sizeof errbuf, err));
    fclose(err);
    ck_assert_int_eq(rc, 1);
    char want[400];
    snprintf(want, sizeof want, "t-output: cannot write '%s': %s\n", missing, strerror(ENOENT));
    ck_assert_str_eq(errbuf, want);
    /* the same line for standard output, with the writer's errno */
    err = tmpfile();
    FILE *out = tmpfile(), *saved_out = stdout;
    stderr = err;
    stdout = out;
    rc = spow_cli_write(&cli, NULL, write_fails, NULL);
    stdout = saved_out;
    stderr = saved;
    rewind(err);
    ck_assert_ptr_nonnull(fgets(errbuf, sizeof errbuf, err));
    fclose(err);
    fclose(out);
    ck_assert_int_eq(rc, 1);
    snprintf(want, sizeof want, "t-output: cannot write 'stdout': %s\n", strerror(EDOM));
    ck_assert_str_eq(errbuf, want);
    /* success: 0 and nothing said */
    char path[128];
    snprintf(path, sizeof path, "%s/ok.txt", dir);
    ck_assert_int_eq(spow_cli_write(&cli, path, write_hello, "ok"), 0);
    remove(path);
    rmdir(dir);
}
END_TEST

/* Checked before the work: each bad path is refused with its reason, a
 * good one passes, and nothing is created either way. */
START_TEST(test_checked_first)
{
    make_dir();
    char file[160], under_file[200], missing[160], ok[160];
    snprintf(file, sizeof file, "%s/plain", dir);
    snprintf(under_file, sizeof under_file, "%s/plain/out.json", dir);
    snprintf(missing, sizeof missing, "%s/no/out.json", dir);
    snprintf(ok, sizeof ok, "%s/out.json", dir);
    FILE *f = fopen(file, "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    const struct { const char *path; int err; } bad[] = {
        { dir, EISDIR }, { "/tmp/", EISDIR }, { under_file, ENOTDIR }, { missing, ENOENT },
    };
    FILE *saved = stderr;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char errbuf[512] = "", want[512];
        FILE *err = tmpfile();
        stderr = err;
        int rc = spow_cli_check_writable(&cli, bad[i].path);
        stderr = saved;
        rewind(err);
        ck_assert_ptr_nonnull(fgets(errbuf, sizeof errbuf, err));
        fclose(err);
        ck_assert_int_eq(rc, 1);
        snprintf(want, sizeof want, "t-output: cannot write '%s': %s\n", bad[i].path,
                 strerror(bad[i].err));
        ck_assert_str_eq(errbuf, want);
    }
    ck_assert_int_eq(spow_cli_check_writable(&cli, ok), 0);
    ck_assert_int_eq(access(ok, F_OK), -1);
    remove(file);
    rmdir(dir);
}
END_TEST

SPOW_CHECK_TESTS("cli output", 0, test_atomic, test_reported, test_checked_first)
