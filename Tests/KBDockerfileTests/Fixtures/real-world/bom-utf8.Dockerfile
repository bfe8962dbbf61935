# syntax=docker/dockerfile:1
FROM alpine:3.19
RUN echo "file starts with a byte order mark"
