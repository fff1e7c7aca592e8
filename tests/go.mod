module github.com/depotix/depotix/tests

go 1.26.0
