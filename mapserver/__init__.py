"""Django project of the Đồng Nai IOC map server: settings, urls, accounts, scoping, errors, audit."""
