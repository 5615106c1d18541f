"""One module per `scr` command; tracker/cli.py and workbook/buttons.py call them."""
