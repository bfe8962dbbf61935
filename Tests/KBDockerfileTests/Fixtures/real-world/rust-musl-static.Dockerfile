FROM rust:1.77-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /usr/src/app
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release --target x86_64-unknown-linux-musl
COPY src ./src
RUN touch src/main.rs \
 && cargo build --release --target x86_64-unknown-linux-musl \
 && strip target/x86_64-unknown-linux-musl/release/app

FROM scratch
COPY --from=build /usr/src/app/target/x86_64-unknown-linux-musl/release/app /app
ENTRYPOINT [ "/app" ]
