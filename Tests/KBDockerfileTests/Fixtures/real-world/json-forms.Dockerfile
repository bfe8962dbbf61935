FROM alpine
CMD []
CMD [""]
CMD ["sh", "-c", "echo \"quoted\" \u00e9 \t tab"]
ENTRYPOINT [ "/bin/sh" , "-c" ]
CMD ['single', 'quotes']
CMD ["unterminated", "array"
CMD ["trailing"] garbage
RUN ["echo", "exec form"]
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
VOLUME ["/data", "/logs"]
VOLUME /cache /tmp/x
ADD ["a b", "/dest dir/"]
COPY [ "x" , "y" ]
STOPSIGNAL SIGTERM
