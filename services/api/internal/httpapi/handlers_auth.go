package httpapi

import (
	"context"
	"strconv"

	"github.com/google/uuid"

	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
	"github.com/depotix/depotix/services/api/internal/page"
)

type clientInfoKey struct{}

func clientInfo(ctx context.Context) auth.ClientInfo {
	ci, _ := ctx.Value(clientInfoKey{}).(auth.ClientInfo)
	return ci
}

func toUser(u auth.User) oapi.User {
	out := oapi.User{
		Id: u.ID, Email: u.Email, Name: u.Name, Role: oapi.Role(u.Role),
		Disabled: u.Disabled, CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC(),
	}
	if u.Language != "" {
		l := oapi.Language(u.Language)
		out.Language = &l
	}
	if u.LastLoginAt != nil {
		t := u.LastLoginAt.UTC()
		out.LastLoginAt = &t
	}
	return out
}

// toMe is the signed-in person with the permissions their role grants.
func toMe(u auth.User) oapi.Me {
	x := toUser(u)
	perms := u.Role.Permissions()
	me := oapi.Me{Id: x.Id, Email: x.Email, Name: x.Name, Role: x.Role, Language: x.Language, Disabled: x.Disabled,
		LastLoginAt: x.LastLoginAt, CreatedAt: x.CreatedAt, UpdatedAt: x.UpdatedAt,
		Permissions: make([]oapi.Permission, len(perms))}
	for i, p := range perms {
		me.Permissions[i] = oapi.Permission(p)
	}
	return me
}

func toTokenPair(t auth.Tokens) oapi.TokenPair {
	return oapi.TokenPair{
		AccessToken:      t.AccessToken,
		TokenType:        oapi.Bearer,
		ExpiresIn:        int(t.AccessExpiresIn.Seconds()),
		RefreshToken:     t.RefreshToken,
		RefreshExpiresAt: t.RefreshExpiresAt.UTC(),
		SessionId:        uuid.MustParse(t.SessionID),
		User:             toMe(t.User),
	}
}

func (s *server) Login(ctx context.Context, req oapi.LoginRequestObject) (oapi.LoginResponseObject, error) {
	client := clientInfo(ctx)
	if req.Body.Language != nil {
		client.Language = auth.Language(*req.Body.Language)
	}
	t, err := s.auth.Login(ctx, req.Body.Email, req.Body.Password, client, requestID(ctx))
	if err != nil {
		return nil, err
	}
	return oapi.Login200JSONResponse(toTokenPair(t)), nil
}

func (s *server) RefreshToken(ctx context.Context, req oapi.RefreshTokenRequestObject) (oapi.RefreshTokenResponseObject, error) {
	t, err := s.auth.Refresh(ctx, req.Body.RefreshToken)
	if err != nil {
		return nil, err
	}
	return oapi.RefreshToken200JSONResponse(toTokenPair(t)), nil
}

func (s *server) Logout(ctx context.Context, _ oapi.LogoutRequestObject) (oapi.LogoutResponseObject, error) {
	if err := s.auth.Logout(ctx, principal(ctx)); err != nil {
		return nil, err
	}
	return oapi.Logout204Response{}, nil
}

func (s *server) ListSessions(ctx context.Context, _ oapi.ListSessionsRequestObject) (oapi.ListSessionsResponseObject, error) {
	p := principal(ctx)
	sessions, err := s.auth.Sessions(ctx, p)
	if err != nil {
		return nil, err
	}
	out := oapi.ListSessions200JSONResponse{Items: make([]oapi.Session, 0, len(sessions))}
	for _, sess := range sessions {
		item := oapi.Session{
			Id: uuid.MustParse(sess.ID), CreatedAt: sess.CreatedAt.UTC(), LastUsedAt: sess.LastUsedAt.UTC(),
			ExpiresAt: sess.ExpiresAt.UTC(), Current: sess.ID == p.SessionID,
		}
		if sess.UserAgent != "" {
			item.UserAgent = &sess.UserAgent
		}
		if sess.IP != "" {
			item.Ip = &sess.IP
		}
		out.Items = append(out.Items, item)
	}
	return out, nil
}

func (s *server) RevokeOtherSessions(ctx context.Context, _ oapi.RevokeOtherSessionsRequestObject) (oapi.RevokeOtherSessionsResponseObject, error) {
	n, err := s.auth.RevokeOtherSessions(ctx, principal(ctx))
	if err != nil {
		return nil, err
	}
	return oapi.RevokeOtherSessions200JSONResponse{Revoked: n}, nil
}

func (s *server) RevokeSession(ctx context.Context, req oapi.RevokeSessionRequestObject) (oapi.RevokeSessionResponseObject, error) {
	if err := s.auth.RevokeSession(ctx, principal(ctx), req.Id.String()); err != nil {
		return nil, err
	}
	return oapi.RevokeSession204Response{}, nil
}

func (s *server) GetMe(ctx context.Context, _ oapi.GetMeRequestObject) (oapi.GetMeResponseObject, error) {
	u, err := s.auth.User(ctx, principal(ctx).UserID)
	if err != nil {
		return nil, err
	}
	return oapi.GetMe200JSONResponse{Body: toMe(u), Headers: oapi.GetMe200ResponseHeaders{ETag: etag(u.Version)}}, nil
}

func (s *server) UpdateMe(ctx context.Context, req oapi.UpdateMeRequestObject) (oapi.UpdateMeResponseObject, error) {
	version, err := expectedVersion(req.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	var lang *auth.Language
	if req.Body.Language != nil {
		l := auth.Language(*req.Body.Language)
		lang = &l
	}
	u, err := s.auth.UpdateMe(ctx, principal(ctx), version, req.Body.Name, lang)
	if err != nil {
		return nil, err
	}
	return oapi.UpdateMe200JSONResponse{Body: toUser(u), Headers: oapi.UpdateMe200ResponseHeaders{ETag: etag(u.Version)}}, nil
}

func (s *server) ChangeMyPassword(ctx context.Context, req oapi.ChangeMyPasswordRequestObject) (oapi.ChangeMyPasswordResponseObject, error) {
	if err := s.auth.ChangePassword(ctx, principal(ctx), req.Body.CurrentPassword, req.Body.NewPassword); err != nil {
		return nil, err
	}
	return oapi.ChangeMyPassword204Response{}, nil
}

func (s *server) ListUsers(ctx context.Context, req oapi.ListUsersRequestObject) (oapi.ListUsersResponseObject, error) {
	pr, err := page.NewRequest(req.Params.Limit, req.Params.Cursor, auth.UserSort)
	if err != nil {
		return nil, err
	}
	f := auth.UserFilter{Disabled: req.Params.Disabled, IDs: deref(req.Params.Ids)}
	if req.Params.Q != nil {
		f.Query = *req.Params.Q
	}
	if req.Params.Role != nil {
		f.Role = auth.Role(*req.Params.Role)
	}
	pg, err := s.auth.Users(ctx, f, pr)
	if err != nil {
		return nil, err
	}
	out := oapi.ListUsers200JSONResponse{Items: make([]oapi.User, 0, len(pg.Items)), Total: &pg.Total}
	for _, u := range pg.Items {
		out.Items = append(out.Items, toUser(u))
	}
	if pg.NextCursor != "" {
		out.NextCursor = &pg.NextCursor
	}
	return out, nil
}

func (s *server) CreateUser(ctx context.Context, req oapi.CreateUserRequestObject) (oapi.CreateUserResponseObject, error) {
	in := auth.CreateUserInput{Email: req.Body.Email, Name: req.Body.Name, Role: auth.Role(req.Body.Role), Password: req.Body.Password}
	if req.Body.Language != nil {
		in.Language = auth.Language(*req.Body.Language)
	}
	u, err := s.auth.CreateUser(ctx, principal(ctx).Actor(), in)
	if err != nil {
		return nil, err
	}
	loc := "/api/v1/users/" + strconv.FormatInt(u.ID, 10)
	return oapi.CreateUser201JSONResponse{Body: toUser(u), Headers: oapi.CreateUser201ResponseHeaders{ETag: etag(u.Version), Location: &loc}}, nil
}

func (s *server) GetUser(ctx context.Context, req oapi.GetUserRequestObject) (oapi.GetUserResponseObject, error) {
	u, err := s.auth.User(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return oapi.GetUser200JSONResponse{Body: toUser(u), Headers: oapi.GetUser200ResponseHeaders{ETag: etag(u.Version)}}, nil
}

func (s *server) UpdateUser(ctx context.Context, req oapi.UpdateUserRequestObject) (oapi.UpdateUserResponseObject, error) {
	version, err := expectedVersion(req.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	in := auth.UpdateUserInput{Name: req.Body.Name, Disabled: req.Body.Disabled, Password: req.Body.Password}
	if req.Body.Role != nil {
		r := auth.Role(*req.Body.Role)
		in.Role = &r
	}
	if req.Body.Language != nil {
		l := auth.Language(*req.Body.Language)
		in.Language = &l
	}
	u, err := s.auth.UpdateUser(ctx, principal(ctx), req.Id, version, in)
	if err != nil {
		return nil, err
	}
	return oapi.UpdateUser200JSONResponse{Body: toUser(u), Headers: oapi.UpdateUser200ResponseHeaders{ETag: etag(u.Version)}}, nil
}

func toAPIToken(t auth.APIToken) oapi.APIToken {
	out := oapi.APIToken{Id: t.ID, Name: t.Name, Scope: oapi.TokenScope(t.Scope), Prefix: t.Prefix,
		ExpiresAt: t.ExpiresAt.UTC(), CreatedAt: t.CreatedAt.UTC()}
	if t.LastUsedAt != nil {
		lu := t.LastUsedAt.UTC()
		out.LastUsedAt = &lu
	}
	return out
}

func (s *server) ListTokens(ctx context.Context, _ oapi.ListTokensRequestObject) (oapi.ListTokensResponseObject, error) {
	tokens, err := s.auth.APITokens(ctx, principal(ctx))
	if err != nil {
		return nil, err
	}
	out := oapi.ListTokens200JSONResponse{Items: make([]oapi.APIToken, 0, len(tokens))}
	for _, t := range tokens {
		out.Items = append(out.Items, toAPIToken(t))
	}
	return out, nil
}

func (s *server) CreateToken(ctx context.Context, req oapi.CreateTokenRequestObject) (oapi.CreateTokenResponseObject, error) {
	t, err := s.auth.CreateAPIToken(ctx, principal(ctx), req.Body.Name, auth.Scope(req.Body.Scope), req.Body.ExpiresInDays)
	if err != nil {
		return nil, err
	}
	base := toAPIToken(t.APIToken)
	return oapi.CreateToken201JSONResponse{Body: oapi.APITokenCreated{
		Id: base.Id, Name: base.Name, Scope: base.Scope, Prefix: base.Prefix, ExpiresAt: base.ExpiresAt,
		CreatedAt: base.CreatedAt, Token: t.Secret,
	}}, nil
}

func (s *server) RevokeToken(ctx context.Context, req oapi.RevokeTokenRequestObject) (oapi.RevokeTokenResponseObject, error) {
	if err := s.auth.RevokeAPIToken(ctx, principal(ctx), req.Id); err != nil {
		return nil, err
	}
	return oapi.RevokeToken204Response{}, nil
}
