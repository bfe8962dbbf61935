module example.com/whatsmyip

go 1.22
