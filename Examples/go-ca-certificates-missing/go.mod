module example.com/trustcheck

go 1.19
