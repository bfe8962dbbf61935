FROM busybox:1.36
ONBUILD ADD . /app/src
ONBUILD RUN cd /app/src && make
ONBUILD LABEL stage=child maintainer="kb <kb@example.org>"
ONBUILD HEALTHCHECK CMD wget -q -O- http://localhost/ || exit 1
ONBUILD WORKDIR /app
ONBUILD USER 1000
ONBUILD EXPOSE 80
