package postgres

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// itemSearchTerms is a search text turned into full-text queries over
// items.search_tsv (migration 000006). Words come from the text the way
// PostgreSQL splits the items' own text, so "Coca-Cola 0.5 l" yields the
// same words on both sides.
type itemSearchTerms struct {
	// text is the search text as typed, for the exact SKU and EAN match.
	text string
	// strict matches items with, for every word of the text, a word that
	// starts with it (the last word is often still being typed); nil when
	// the text has no words, e.g. only punctuation.
	strict *string
	// loose adds typo tolerance: per word, also the vocabulary's words that
	// are similar to it or contain it.
	loose *string
}

// similarWords bounds the vocabulary's candidates per word of the search
// text: enough for the words a person means, few enough that the query
// stays a handful of index lookups.
const similarWords = 16

// searchWordsSQL splits the search text into words as to_tsvector does and
// finds, per word, the vocabulary's words similar to it or containing it.
// Similarity and containment need three characters and no digits: "2019"
// must not find "2015", nor an EAN its neighbours (the vocabulary holds no
// words with digits either).
var searchWordsSQL = `
	WITH words AS (
		SELECT lexeme AS w, min(d.n) AS n
		  FROM ts_debug('simple', $1) WITH ORDINALITY d(alias, description, token, dictionaries, dictionary, lexemes, n),
		       unnest(d.lexemes) lexeme
		 GROUP BY lexeme
	)
	SELECT words.w, found.word
	  FROM words LEFT JOIN LATERAL (
		SELECT word FROM search_words
		 WHERE length(words.w) >= 3 AND words.w !~ '[0-9]' AND NOT starts_with(word, words.w)
		   AND ((word % words.w AND similarity(word, words.w) >= 0.4)
		        OR word LIKE '%' || replace(replace(replace(words.w, '\', '\\'), '%', '\%'), '_', '\_') || '%')
		 ORDER BY similarity(word, words.w) DESC, word LIMIT ` + strconv.Itoa(similarWords) + `
	  ) found ON true
	 ORDER BY words.n, found.word`

// searchItemTerms turns text into the queries of itemSearchTerms.
func searchItemTerms(ctx context.Context, q querier, text string) (itemSearchTerms, error) {
	terms := itemSearchTerms{text: text}
	var order []string
	similar := map[string][]string{}
	rows, _ := q.Query(ctx, searchWordsSQL, text)
	var word string
	var found *string
	_, err := pgx.ForEachRow(rows, []any{&word, &found}, func() error {
		if _, ok := similar[word]; !ok {
			order = append(order, word)
			similar[word] = nil
		}
		if found != nil {
			similar[word] = append(similar[word], *found)
		}
		return nil
	})
	if err != nil || len(order) == 0 {
		return terms, err
	}
	strictParts := make([]string, len(order))
	looseParts := make([]string, len(order))
	for i, w := range order {
		strictParts[i] = lexeme(w) + ":*"
		alternatives := []string{strictParts[i]}
		for _, s := range similar[w] {
			alternatives = append(alternatives, lexeme(s))
		}
		looseParts[i] = "(" + strings.Join(alternatives, " | ") + ")"
	}
	strict, loose := strings.Join(strictParts, " & "), strings.Join(looseParts, " & ")
	terms.strict, terms.loose = &strict, &loose
	return terms, nil
}

// lexemeQuoting escapes a word inside tsquery quotes.
var lexemeQuoting = strings.NewReplacer(`\`, `\\`, `'`, `''`)

// lexeme quotes a word for tsquery input.
func lexeme(w string) string { return "'" + lexemeQuoting.Replace(w) + "'" }
