module example.com/idleapp

go 1.19
