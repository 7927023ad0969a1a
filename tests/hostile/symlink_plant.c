// expect: OK
// attack: plants symlinks to host paths in a ScratchDir work directory (and in /tmp), hoping
//   host-side reads, writes or cleanup follow them: /work/link -> /root,
//   /work/file -> /etc/passwd, /work/secret-link -> the planted /etc secret, and a directory
//   link /work/etc -> /etc that a host-side walk of "etc/passwd" must not pass through
// work: scratch
// refused: link file secret-link etc/passwd
// unwritable: secret-link etc/passwd etc/cjhostile-new
// stdout: planted
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
  const char* marker = argc > 1 ? argv[1] : "cjhostile";
  const char* secrets = getenv("CJ_SECRET_PATHS");
  if (!secrets) return 2;
  char secret[4096];
  snprintf(secret, sizeof secret, "%s", secrets);
  secret[strcspn(secret, ":")] = '\0';  // the first one, in /etc
  char path[4096];
  int failed = 0;
  failed |= symlink("/root", "/work/link");
  failed |= symlink("/etc/passwd", "/work/file");
  failed |= symlink(secret, "/work/secret-link");
  failed |= symlink("/etc", "/work/etc");
  snprintf(path, sizeof path, "/work/%s-etc", marker);
  failed |= symlink("/etc", path);
  snprintf(path, sizeof path, "/tmp/%s-etc", marker);
  failed |= symlink("/etc", path);
  snprintf(path, sizeof path, "/tmp/%s-root", marker);
  failed |= symlink("/", path);
  if (failed) {
    perror("plant");
    return 1;
  }
  puts("planted");
  return 0;
}
