/*
 * fsops: the system calls coreutils 9.1 has no command for, for MountLinksTest.
 *   fsops rename2 FROM TO FLAGS   renameat2(2) with FLAGS (a number: 1 NOREPLACE, 2 EXCHANGE, 4 WHITEOUT)
 *   fsops socket PATH             binds an AF_UNIX socket at PATH (mknod(2) of a socket, as a server does)
 * Prints "ok" or strerror(errno) and exits 0 either way (the test compares the line); 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int report(int rc) {
    puts(rc == 0 ? "ok" : strerror(errno));
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "rename2") == 0) {
        return report(renameat2(AT_FDCWD, argv[2], AT_FDCWD, argv[3], (unsigned) strtoul(argv[4], NULL, 0)));
    }
    if (argc == 3 && strcmp(argv[1], "socket") == 0) {
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        if (strlen(argv[2]) >= sizeof a.sun_path) {
            fputs("fsops: path too long for sun_path\n", stderr);
            return 2;
        }
        strcpy(a.sun_path, argv[2]);
        int s = socket(AF_UNIX, SOCK_STREAM, 0);
        if (s < 0) {
            return report(-1);
        }
        int rc = bind(s, (struct sockaddr *) &a, sizeof a);
        int saved = errno;
        close(s);
        errno = saved;
        return report(rc);
    }
    fputs("usage: fsops rename2 FROM TO FLAGS | fsops socket PATH\n", stderr);
    return 2;
}
