package apiclient

import (
	"context"
	"net/http"

	"github.com/google/uuid"
)

// The signed-in person's own operations: token refresh, sign-out, sessions,
// profile, password and personal API tokens. Each method names its
// operation for errors, calls the generated client with auth (see
// BearerToken), turns an unexpected status into a *CallError carrying the
// api's envelope, and checks that a success has the promised body.

// Refresh exchanges a refresh token for a new pair. A refresh token that is
// unknown, expired, revoked or reused is an *APIError with status 401.
func (c *Client) Refresh(ctx context.Context, refreshToken string) (TokenPair, error) {
	const op = "POST /api/v1/auth/refresh"
	res, err := c.api.RefreshTokenWithResponse(ctx, RefreshTokenJSONRequestBody{RefreshToken: refreshToken})
	if err != nil {
		return TokenPair{}, callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return TokenPair{}, statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.AccessToken == "" {
		return TokenPair{}, invalid(op, http.StatusOK, "answer is not a token pair")
	}
	return *res.JSON200, nil
}

// Logout ends the session the access token belongs to.
func (c *Client) Logout(ctx context.Context, auth RequestEditorFn) error {
	const op = "POST /api/v1/auth/logout"
	res, err := c.api.LogoutWithResponse(ctx, auth)
	if err != nil {
		return callError(op, err)
	}
	if res.StatusCode() != http.StatusNoContent {
		return statusError(op, res)
	}
	return nil
}

// Sessions lists the person's active sessions, newest first.
func (c *Client) Sessions(ctx context.Context, auth RequestEditorFn) ([]Session, error) {
	const op = "GET /api/v1/auth/sessions"
	res, err := c.api.ListSessionsWithResponse(ctx, auth)
	if err != nil {
		return nil, callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return nil, statusError(op, res)
	}
	if res.JSON200 == nil {
		return nil, invalid(op, http.StatusOK, "answer is not a session list")
	}
	return res.JSON200.Items, nil
}

// RevokeOtherSessions ends every session of the person but this one and
// says how many ended.
func (c *Client) RevokeOtherSessions(ctx context.Context, auth RequestEditorFn) (int, error) {
	const op = "DELETE /api/v1/auth/sessions"
	res, err := c.api.RevokeOtherSessionsWithResponse(ctx, auth)
	if err != nil {
		return 0, callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return 0, statusError(op, res)
	}
	if res.JSON200 == nil {
		return 0, invalid(op, http.StatusOK, "answer is not a count")
	}
	return res.JSON200.Revoked, nil
}

// RevokeSession ends one of the person's sessions.
func (c *Client) RevokeSession(ctx context.Context, auth RequestEditorFn, id uuid.UUID) error {
	const op = "DELETE /api/v1/auth/sessions/{id}"
	res, err := c.api.RevokeSessionWithResponse(ctx, id, auth)
	if err != nil {
		return callError(op, err)
	}
	if res.StatusCode() != http.StatusNoContent {
		return statusError(op, res)
	}
	return nil
}

// UpdateMe changes the person's name or language. ifMatch is the ETag the
// change is based on (a stale one is an *APIError with status 412); ""
// changes whatever the current version is.
func (c *Client) UpdateMe(ctx context.Context, auth RequestEditorFn, ifMatch string, change MeUpdate) (User, string, error) {
	const op = "PATCH /api/v1/me"
	var params UpdateMeParams
	if ifMatch != "" {
		params.IfMatch = &ifMatch
	}
	res, err := c.api.UpdateMeWithResponse(ctx, &params, change, auth)
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

// ChangePassword sets a new password after checking the current one. A
// wrong current password is validation_failed on current_password; a new
// one the policy refuses is validation_failed on password.
func (c *Client) ChangePassword(ctx context.Context, auth RequestEditorFn, current, next string) error {
	const op = "POST /api/v1/me/password"
	res, err := c.api.ChangeMyPasswordWithResponse(ctx,
		ChangeMyPasswordJSONRequestBody{CurrentPassword: current, NewPassword: next}, auth)
	if err != nil {
		return callError(op, err)
	}
	if res.StatusCode() != http.StatusNoContent {
		return statusError(op, res)
	}
	return nil
}

// Tokens lists the person's active API tokens (never their secrets).
func (c *Client) Tokens(ctx context.Context, auth RequestEditorFn) ([]APIToken, error) {
	const op = "GET /api/v1/tokens"
	res, err := c.api.ListTokensWithResponse(ctx, auth)
	if err != nil {
		return nil, callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return nil, statusError(op, res)
	}
	if res.JSON200 == nil {
		return nil, invalid(op, http.StatusOK, "answer is not a token list")
	}
	return res.JSON200.Items, nil
}

// CreateToken issues a personal API token; its secret is in this answer
// only. idempotencyKey makes a repeated submit create one token.
func (c *Client) CreateToken(ctx context.Context, auth RequestEditorFn, idempotencyKey string, in APITokenCreate) (APITokenCreated, error) {
	const op = "POST /api/v1/tokens"
	var params CreateTokenParams
	if idempotencyKey != "" {
		params.IdempotencyKey = &idempotencyKey
	}
	res, err := c.api.CreateTokenWithResponse(ctx, &params, in, auth)
	if err != nil {
		return APITokenCreated{}, callError(op, err)
	}
	if res.StatusCode() != http.StatusCreated {
		return APITokenCreated{}, statusError(op, res)
	}
	if res.JSON201 == nil || res.JSON201.Token == "" {
		return APITokenCreated{}, invalid(op, http.StatusCreated, "answer has no token")
	}
	return *res.JSON201, nil
}

// RevokeToken revokes one of the person's API tokens.
func (c *Client) RevokeToken(ctx context.Context, auth RequestEditorFn, id int64) error {
	const op = "DELETE /api/v1/tokens/{id}"
	res, err := c.api.RevokeTokenWithResponse(ctx, id, auth)
	if err != nil {
		return callError(op, err)
	}
	if res.StatusCode() != http.StatusNoContent {
		return statusError(op, res)
	}
	return nil
}

// LanguageOf is a person's language code, "" while they have none (the api
// then takes their browser's at their first sign-in).
func LanguageOf(l *Language) string {
	if l == nil {
		return ""
	}
	return string(*l)
}
