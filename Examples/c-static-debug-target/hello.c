/* The smallest useful C program: one line of output, nothing else. */
#include <stdio.h>

int main(void)
{
    puts("Hello, world!");
    return 0;
}
