FROM ubuntu:24.04
LABEL maintainer "Someone Old <old@example.org>"
LABEL version="1.0" description="A \"quoted\" description" vendor=kb
LABEL "com.example.multi word"="value with spaces"
ENV DEBIAN_FRONTEND noninteractive
ENV LANG=C.UTF-8 LC_ALL=C.UTF-8
ENV PATH=/opt/bin:$PATH
ENV EMPTY=""
ENV QUOTED='single $NOT_EXPANDED'
MAINTAINER Deprecated Person <dp@example.org>
