module github.com/depotix/depotix/proxy

go 1.26.0
