package apiclient

import (
	"context"
	"net/http"
)

// People (admin only): list, one, create, change. Each method follows
// auth.go: it names its operation, turns an unexpected status into a
// *CallError with the api's envelope, and checks a success has its body.

// UserFilter is the query of the people list.
type UserFilter struct {
	Query    string  // typo-tolerant match on names and emails; "" for all
	Role     Role    // "" for every role
	Disabled *bool   // nil for both
	IDs      []int64 // only these people; nil for all
	Cursor   string
	Limit    int // 0 for the api's default
}

// Users lists people, ordered by name.
func (c *Client) Users(ctx context.Context, auth RequestEditorFn, f UserFilter) (UserList, error) {
	const op = "GET /api/v1/users"
	var params ListUsersParams
	if f.Query != "" {
		params.Q = &f.Query
	}
	if f.Role != "" {
		params.Role = &f.Role
	}
	params.Disabled = f.Disabled
	if len(f.IDs) > 0 {
		params.Ids = &f.IDs
	}
	if f.Cursor != "" {
		params.Cursor = &f.Cursor
	}
	if f.Limit > 0 {
		params.Limit = &f.Limit
	}
	res, err := c.api.ListUsersWithResponse(ctx, &params, auth)
	if err != nil {
		return UserList{}, callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return UserList{}, statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.Items == nil {
		return UserList{}, invalid(op, http.StatusOK, "answer is not a list of people")
	}
	return *res.JSON200, nil
}

// User reads one person and the ETag of their record.
func (c *Client) User(ctx context.Context, auth RequestEditorFn, id int64) (User, string, error) {
	const op = "GET /api/v1/users/{id}"
	res, err := c.api.GetUserWithResponse(ctx, id, auth)
	if err != nil {
		return User{}, "", callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return User{}, "", statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.ID == 0 {
		return User{}, "", invalid(op, http.StatusOK, "answer is not a person")
	}
	return *res.JSON200, res.HTTPResponse.Header.Get("ETag"), nil
}

// CreateUser adds a person with an initial password. idempotencyKey makes
// a repeated submit create one person.
func (c *Client) CreateUser(ctx context.Context, auth RequestEditorFn, idempotencyKey string, in UserCreate) (User, error) {
	const op = "POST /api/v1/users"
	var params CreateUserParams
	if idempotencyKey != "" {
		params.IdempotencyKey = &idempotencyKey
	}
	res, err := c.api.CreateUserWithResponse(ctx, &params, in, auth)
	if err != nil {
		return User{}, callError(op, err)
	}
	if res.StatusCode() != http.StatusCreated {
		return User{}, statusError(op, res)
	}
	if res.JSON201 == nil || res.JSON201.ID == 0 {
		return User{}, invalid(op, http.StatusCreated, "answer is not a person")
	}
	return *res.JSON201, nil
}

// UpdateUser changes a person's name, role, language, password or enabled
// state. ifMatch is the ETag the change is based on (a stale one is an
// *APIError with status 412); "" changes whatever the current version is.
func (c *Client) UpdateUser(ctx context.Context, auth RequestEditorFn, id int64, ifMatch string, change UserUpdate) (User, string, error) {
	const op = "PATCH /api/v1/users/{id}"
	var params UpdateUserParams
	if ifMatch != "" {
		params.IfMatch = &ifMatch
	}
	res, err := c.api.UpdateUserWithResponse(ctx, id, &params, change, auth)
	if err != nil {
		return User{}, "", callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return User{}, "", statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.ID == 0 {
		return User{}, "", invalid(op, http.StatusOK, "answer is not a person")
	}
	return *res.JSON200, res.HTTPResponse.Header.Get("ETag"), nil
}
