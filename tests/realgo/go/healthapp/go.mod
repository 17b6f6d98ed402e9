module example.com/healthapp

go 1.19
