from alpine:3.19 as Build
run echo lower
Run echo mixed
cOpY --FROM=Build /etc/hostname /x
workdir /tmp
cmd echo done
