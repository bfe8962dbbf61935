# kb itself, built the way this knowledge base recommends: compile in a toolchain stage,
# ship only the program and what it loads at run time.
#
#   docker build -t kb .
#   docker run --rm -v "$PWD:/kb" kb lint Examples
#   docker run --rm -v "$PWD:/kb" kb build
#
# The build stage needs the Swift toolchain image and network access to GitHub (the Swift
# packages named in Package.swift); scripts/swift-image.sh makes a local stand-in for both.
# The Swift standard library and Foundation are linked into the binary
# (--static-swift-stdlib), so the run stage needs only glibc, libstdc++ (both in
# debian:bookworm-slim), libcmark (kb's Markdown parser), libmimalloc (the allocator kb links
# ahead of glibc's) and libcurl: kb serve's HTTP server, FlyingFox, imports
# FoundationNetworking, which static linking cannot take without libcurl (-static-executable
# fails for want of a static libcurl).
#
# Examples/swift-static-stdlib-slim records this image: its build context is this folder,
# less what .dockerignore leaves out.
FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcmark-dev libcurl4-openssl-dev libmimalloc-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Package.swift names every target, tests and benchmark included, so their folders must exist.
# .dockerignore lets in only these (an allowlist), so the context is what is copied here.
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
COPY Benchmarks/ParserBench ./Benchmarks/ParserBench
RUN swift build -c release --product kb --static-swift-stdlib \
 && strip -o /src/kb .build/release/kb

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcmark0.30.2 libcurl4 libmimalloc2.0 \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/kb /usr/local/bin/kb
# The knowledge base to work on is mounted here; files kb writes belong to this user.
WORKDIR /kb
USER 10001:10001
ENTRYPOINT ["kb"]
CMD ["--help"]
