module github.com/depotix/depotix/services/api

go 1.26.0
