/* theme: semantic roles -> attributes. One table per colour depth, indexed
 * by role, so a pane never names a colour and NO_COLOR needs no special
 * case anywhere else. */
#include "theme.h"
#include "msgindex.h"

#define D -1
#define A(f, b, fl)                                                            \
	{                                                                      \
		(f), (b), (fl)                                                 \
	}

/* Monochrome: severity shows as weight and underline, selection as reverse;
 * the list also carries a severity letter so nothing depends on colour. */
/* clang-format off */
static const struct theme_attr theme_mono[ROLE__COUNT] = {
	[ROLE_DEFAULT] = A(D, D, 0),
	[ROLE_TITLE] = A(D, D, THEME_REVERSE | THEME_BOLD),
	[ROLE_TITLE_PROGRESS] = A(D, D, THEME_REVERSE),
	[ROLE_STATUS] = A(D, D, 0),
	[ROLE_STATUS_ERROR] = A(D, D, THEME_BOLD),
	[ROLE_STATUS_KEY] = A(D, D, THEME_BOLD),
	[ROLE_PROMPT] = A(D, D, THEME_BOLD),
	[ROLE_PANE_TITLE] = A(D, D, THEME_UNDERLINE),
	[ROLE_PANE_TITLE_FOCUS] = A(D, D, THEME_REVERSE),
	[ROLE_BORDER] = A(D, D, 0),
	[ROLE_SEV_NONE] = A(D, D, 0),
	[ROLE_SEV_INFO] = A(D, D, THEME_DIM),
	[ROLE_SEV_OK] = A(D, D, 0),
	[ROLE_SEV_BENIGN] = A(D, D, THEME_DIM),
	[ROLE_SEV_WARNING] = A(D, D, THEME_UNDERLINE),
	[ROLE_SEV_ERROR] = A(D, D, THEME_BOLD),
	[ROLE_SELECTION] = A(D, D, THEME_REVERSE),
	[ROLE_SELECTION_UNFOCUSED] = A(D, D, THEME_REVERSE | THEME_DIM),
	[ROLE_MATCH] = A(D, D, THEME_UNDERLINE | THEME_BOLD),
	[ROLE_GUTTER] = A(D, D, THEME_BOLD),
	[ROLE_DIM] = A(D, D, THEME_DIM),
	[ROLE_ESCAPE] = A(D, D, THEME_REVERSE),
	[ROLE_HEADER_NAME] = A(D, D, THEME_BOLD),
	[ROLE_HEADER_VALUE] = A(D, D, 0),
	[ROLE_START_LINE] = A(D, D, THEME_BOLD | THEME_UNDERLINE),
	[ROLE_AUTH_PARAM] = A(D, D, 0),
	[ROLE_AUTH_DECODED] = A(D, D, THEME_BOLD),
	[ROLE_BODY] = A(D, D, 0),
	[ROLE_EXPLAIN] = A(D, D, THEME_BOLD),
	[ROLE_FLOW_COLUMN] = A(D, D, THEME_BOLD),
	[ROLE_FLOW_ARROW] = A(D, D, 0),
	[ROLE_FLOW_CURRENT] = A(D, D, THEME_REVERSE),
	[ROLE_FLOW_NOTE] = A(D, D, THEME_DIM),
	[ROLE_HELP_KEY] = A(D, D, THEME_BOLD),
	[ROLE_TOO_SMALL] = A(D, D, THEME_BOLD | THEME_REVERSE),
};
/* clang-format on */

/* clang-format off */
static const struct theme_attr theme_8[ROLE__COUNT] = {
	[ROLE_DEFAULT] = A(D, D, 0),
	[ROLE_TITLE] = A(THEME_WHITE, THEME_BLUE, THEME_BOLD),
	[ROLE_TITLE_PROGRESS] = A(THEME_BLACK, THEME_YELLOW, 0),
	[ROLE_STATUS] = A(D, D, 0),
	[ROLE_STATUS_ERROR] = A(THEME_RED, D, THEME_BOLD),
	[ROLE_STATUS_KEY] = A(THEME_CYAN, D, THEME_BOLD),
	[ROLE_PROMPT] = A(THEME_YELLOW, D, THEME_BOLD),
	[ROLE_PANE_TITLE] = A(THEME_WHITE, D, THEME_UNDERLINE),
	[ROLE_PANE_TITLE_FOCUS] = A(THEME_BLACK, THEME_CYAN, THEME_BOLD),
	[ROLE_BORDER] = A(THEME_BLUE, D, 0),
	[ROLE_SEV_NONE] = A(D, D, 0),
	[ROLE_SEV_INFO] = A(D, D, THEME_DIM),
	[ROLE_SEV_OK] = A(THEME_GREEN, D, 0),
	[ROLE_SEV_BENIGN] = A(THEME_CYAN, D, 0),
	[ROLE_SEV_WARNING] = A(THEME_YELLOW, D, 0),
	[ROLE_SEV_ERROR] = A(THEME_RED, D, THEME_BOLD),
	[ROLE_SELECTION] = A(THEME_BLACK, THEME_CYAN, 0),
	[ROLE_SELECTION_UNFOCUSED] = A(THEME_BLACK, THEME_WHITE, 0),
	[ROLE_MATCH] = A(THEME_BLACK, THEME_YELLOW, 0),
	[ROLE_GUTTER] = A(THEME_MAGENTA, D, THEME_BOLD),
	[ROLE_DIM] = A(D, D, THEME_DIM),
	[ROLE_ESCAPE] = A(THEME_MAGENTA, D, THEME_REVERSE),
	[ROLE_HEADER_NAME] = A(THEME_CYAN, D, 0),
	[ROLE_HEADER_VALUE] = A(D, D, 0),
	[ROLE_START_LINE] = A(D, D, THEME_BOLD),
	[ROLE_AUTH_PARAM] = A(THEME_MAGENTA, D, 0),
	[ROLE_AUTH_DECODED] = A(THEME_GREEN, D, THEME_BOLD),
	[ROLE_BODY] = A(D, D, 0),
	[ROLE_EXPLAIN] = A(D, D, THEME_BOLD),
	[ROLE_FLOW_COLUMN] = A(THEME_WHITE, THEME_BLUE, THEME_BOLD),
	[ROLE_FLOW_ARROW] = A(D, D, 0),
	[ROLE_FLOW_CURRENT] = A(THEME_BLACK, THEME_CYAN, THEME_BOLD),
	[ROLE_FLOW_NOTE] = A(THEME_MAGENTA, D, 0),
	[ROLE_HELP_KEY] = A(THEME_YELLOW, D, THEME_BOLD),
	[ROLE_TOO_SMALL] = A(THEME_WHITE, THEME_RED, THEME_BOLD),
};
/* clang-format on */

/* 256 colours: the same design with softer backgrounds, so that the benign
 * blue-grey reads as "fine" next to a red error. */
/* clang-format off */
static const struct theme_attr theme_256[ROLE__COUNT] = {
	[ROLE_DEFAULT] = A(D, D, 0),
	[ROLE_TITLE] = A(231, 24, THEME_BOLD),
	[ROLE_TITLE_PROGRESS] = A(16, 178, 0),
	[ROLE_STATUS] = A(250, D, 0),
	[ROLE_STATUS_ERROR] = A(203, D, THEME_BOLD),
	[ROLE_STATUS_KEY] = A(81, D, THEME_BOLD),
	[ROLE_PROMPT] = A(221, D, THEME_BOLD),
	[ROLE_PANE_TITLE] = A(252, 237, 0),
	[ROLE_PANE_TITLE_FOCUS] = A(16, 74, THEME_BOLD),
	[ROLE_BORDER] = A(240, D, 0),
	[ROLE_SEV_NONE] = A(D, D, 0),
	[ROLE_SEV_INFO] = A(245, D, 0),
	[ROLE_SEV_OK] = A(114, D, 0),
	[ROLE_SEV_BENIGN] = A(110, D, 0),
	[ROLE_SEV_WARNING] = A(221, D, 0),
	[ROLE_SEV_ERROR] = A(203, D, THEME_BOLD),
	[ROLE_SELECTION] = A(231, 31, THEME_BOLD),
	[ROLE_SELECTION_UNFOCUSED] = A(231, 239, 0),
	[ROLE_MATCH] = A(16, 220, 0),
	[ROLE_GUTTER] = A(176, D, THEME_BOLD),
	[ROLE_DIM] = A(243, D, 0),
	[ROLE_ESCAPE] = A(176, D, THEME_REVERSE),
	[ROLE_HEADER_NAME] = A(74, D, 0),
	[ROLE_HEADER_VALUE] = A(D, D, 0),
	[ROLE_START_LINE] = A(231, D, THEME_BOLD),
	[ROLE_AUTH_PARAM] = A(176, D, 0),
	[ROLE_AUTH_DECODED] = A(114, D, THEME_BOLD),
	[ROLE_BODY] = A(252, D, 0),
	[ROLE_EXPLAIN] = A(231, D, THEME_BOLD),
	[ROLE_FLOW_COLUMN] = A(231, 24, THEME_BOLD),
	[ROLE_FLOW_ARROW] = A(D, D, 0),
	[ROLE_FLOW_CURRENT] = A(231, 31, THEME_BOLD),
	[ROLE_FLOW_NOTE] = A(176, D, 0),
	[ROLE_HELP_KEY] = A(221, D, THEME_BOLD),
	[ROLE_TOO_SMALL] = A(231, 124, THEME_BOLD),
};
/* clang-format on */

static const char theme_letters[ROLE__COUNT] = {
#define THEME_LETTER(name, letter) letter,
    THEME_ROLES(THEME_LETTER)
#undef THEME_LETTER
};

static const char *const theme_names[ROLE__COUNT] = {
#define THEME_NAME(name, letter) #name,
    THEME_ROLES(THEME_NAME)
#undef THEME_NAME
};

const struct theme_attr *
theme_get(enum theme_mode mode, int role)
{
	if (role < 0 || role >= ROLE__COUNT)
		role = ROLE_DEFAULT;
	switch (mode) {
	case THEME_256:
		return &theme_256[role];
	case THEME_8:
		return &theme_8[role];
	default:
		return &theme_mono[role];
	}
}

int
theme_severity_role(int severity)
{
	switch (severity) {
	case SEV_INFO:
		return ROLE_SEV_INFO;
	case SEV_OK:
		return ROLE_SEV_OK;
	case SEV_BENIGN:
		return ROLE_SEV_BENIGN;
	case SEV_WARNING:
		return ROLE_SEV_WARNING;
	case SEV_ERROR:
		return ROLE_SEV_ERROR;
	default:
		return ROLE_SEV_NONE;
	}
}

char
theme_role_letter(int role)
{
	if (role < 0 || role >= ROLE__COUNT)
		return '?';
	return theme_letters[role];
}

const char *
theme_role_name(int role)
{
	if (role < 0 || role >= ROLE__COUNT)
		return "?";
	return theme_names[role];
}
