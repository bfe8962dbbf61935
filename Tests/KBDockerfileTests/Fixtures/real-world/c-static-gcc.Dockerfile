FROM gcc:13 AS build
WORKDIR /src
COPY hello.c .
RUN gcc -static -Os -o hello hello.c && strip hello

FROM scratch
COPY --from=build /src/hello /hello
CMD ["/hello"]
