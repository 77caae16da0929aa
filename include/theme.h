/* theme: the semantic roles panes draw with, and the one table that maps
 * each role to terminal attributes for 256 colours, 8 colours and
 * monochrome (NO_COLOR, --color=never). No curses here: term.c turns a
 * struct theme_attr into curses attributes. */
#ifndef SIPSNOOP_THEME_H
#define SIPSNOOP_THEME_H

/* X(name, letter for dumps) */
#define THEME_ROLES(X)                                                         \
	X(ROLE_DEFAULT, '.')                                                   \
	X(ROLE_TITLE, 'T')                                                     \
	X(ROLE_TITLE_PROGRESS, 'P')                                            \
	X(ROLE_STATUS, 's')                                                    \
	X(ROLE_STATUS_ERROR, 'X')                                              \
	X(ROLE_STATUS_KEY, 'k')                                                \
	X(ROLE_PROMPT, 'p')                                                    \
	X(ROLE_PANE_TITLE, 't')                                                \
	X(ROLE_PANE_TITLE_FOCUS, 'F')                                          \
	X(ROLE_BORDER, '|')                                                    \
	X(ROLE_SEV_NONE, 'n')                                                  \
	X(ROLE_SEV_INFO, 'i')                                                  \
	X(ROLE_SEV_OK, 'o')                                                    \
	X(ROLE_SEV_BENIGN, 'b')                                                \
	X(ROLE_SEV_WARNING, 'w')                                               \
	X(ROLE_SEV_ERROR, 'e')                                                 \
	X(ROLE_SELECTION, 'S')                                                 \
	X(ROLE_SELECTION_UNFOCUSED, 'U')                                       \
	X(ROLE_MATCH, 'M')                                                     \
	X(ROLE_GUTTER, 'g')                                                    \
	X(ROLE_DIM, 'd')                                                       \
	X(ROLE_ESCAPE, 'E')                                                    \
	X(ROLE_HEADER_NAME, 'H')                                               \
	X(ROLE_HEADER_VALUE, 'v')                                              \
	X(ROLE_START_LINE, 'L')                                                \
	X(ROLE_AUTH_PARAM, 'a')                                                \
	X(ROLE_AUTH_DECODED, 'A')                                              \
	X(ROLE_BODY, 'y')                                                      \
	X(ROLE_EXPLAIN, 'x')                                                   \
	X(ROLE_FLOW_COLUMN, 'c')                                               \
	X(ROLE_FLOW_ARROW, 'r')                                                \
	X(ROLE_FLOW_CURRENT, 'C')                                              \
	X(ROLE_FLOW_NOTE, 'N')                                                 \
	X(ROLE_HELP_KEY, 'K')                                                  \
	X(ROLE_TOO_SMALL, 'Z')

/* clang-format off */
enum role {
#define THEME_ENUM(name, letter) name,
	THEME_ROLES(THEME_ENUM)
#undef THEME_ENUM
	ROLE__COUNT
};
/* clang-format on */

enum theme_mode {
	THEME_MONO = 0,
	THEME_8,
	THEME_256,
};

/* Colour numbers as curses uses them; -1 is the terminal's default. */
#define THEME_BLACK 0
#define THEME_RED 1
#define THEME_GREEN 2
#define THEME_YELLOW 3
#define THEME_BLUE 4
#define THEME_MAGENTA 5
#define THEME_CYAN 6
#define THEME_WHITE 7

#define THEME_BOLD 0x1
#define THEME_REVERSE 0x2
#define THEME_UNDERLINE 0x4
#define THEME_DIM 0x8

struct theme_attr {
	short fg, bg;	/* -1 = default */
	unsigned flags; /* THEME_BOLD ... */
};

/* Attributes of role in mode (borrowed from the table). */
const struct theme_attr *theme_get(enum theme_mode mode, int role);
/* The severity role for an enum severity value. */
int theme_severity_role(int severity);
/* One letter per role, for grid dumps in tests; '?' when out of range. */
char theme_role_letter(int role);
const char *theme_role_name(int role);

#endif
