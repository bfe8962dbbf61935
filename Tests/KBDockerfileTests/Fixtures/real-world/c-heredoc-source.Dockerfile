# syntax=docker/dockerfile:1
FROM alpine:3.19 AS build
RUN apk add --no-cache build-base
COPY <<EOF /src/hello.c
#include <stdio.h>

int main(void) {
    printf("Hello, world!\n");
    return 0;
}
EOF
RUN <<-'SCRIPT' sh
	set -eu
	cd /src
	cc -static -O2 -o hello hello.c
	strip hello
	SCRIPT

FROM scratch
COPY --from=build /src/hello /
ENTRYPOINT ["/hello"]
