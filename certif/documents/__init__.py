"""PDF documents (xhtml2pdf) from templates/pdf/."""
