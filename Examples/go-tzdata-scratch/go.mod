module example.com/tzcheck

go 1.19
