FROM ubuntu:22.04 AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt .
COPY src/ src/
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_EXE_LINKER_FLAGS="-static" \
 && cmake --build build --target app

FROM gcr.io/distroless/cc-debian12
COPY --from=build /src/build/app /usr/local/bin/app
ENTRYPOINT ["/usr/local/bin/app"]
