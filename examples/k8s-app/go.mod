module example.com/k8s-app

go 1.19
