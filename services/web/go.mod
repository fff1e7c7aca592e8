module github.com/depotix/depotix/services/web

go 1.26.0
