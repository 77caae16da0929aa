/* main: placeholder until the option parser lands in this commit series. */
int
main(void)
{
	return 0;
}
