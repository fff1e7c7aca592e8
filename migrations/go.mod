module github.com/depotix/depotix/migrations

go 1.26.0
