ARG BASE=alpine
ARG VERSION="3.19"
ARG EMPTY=
ARG NOVALUE
FROM --platform=linux/amd64 ${BASE}:${VERSION} AS amd
FROM --platform=$TARGETPLATFORM ${BASE}:${VERSION} as target
ARG TARGETARCH TARGETVARIANT
ARG A=1 B="two" C='three'
RUN echo "${TARGETARCH}${TARGETVARIANT:+-$TARGETVARIANT}"
FROM amd
COPY --from=target /etc/os-release /target-os-release
