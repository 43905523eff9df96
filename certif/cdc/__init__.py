"""Declaring holders to the Caisse des Dépôts (CPF « accrochage », article L6113-8 of the
labour code): one line per certificate, the XML files sent, the CDC's answers."""
