module example.com/broken-app

go 1.19
