module example.com/pproflocal

go 1.19
