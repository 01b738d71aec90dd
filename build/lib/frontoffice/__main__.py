from frontoffice.cli.main import main

main()
