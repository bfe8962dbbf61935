FROM alpine:3.19 AS base
COPY --link --chmod=644 --chown=1000:1000 a.txt /a.txt
COPY --from=base --parents ./src/ /app/
COPY --exclude=*.md . /src
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.org/f.tar.gz /f.tar.gz
ADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.13.0 /buildkit
RUN --network=none --security=insecure echo hi
RUN --mount=type=secret,id=token,env=TOKEN --mount=type=ssh \
    git clone git@github.com:example/private.git
COPY --unknown-flag=x "--not-a-flag" /dst
COPY -- --dash-file /dst
RUN --mount="type=bind,source=.,target=/src" ls /src
