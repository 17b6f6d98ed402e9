module example.com/clean-app

go 1.19
