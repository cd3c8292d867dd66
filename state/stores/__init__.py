"""The tenant's data and the product's own records: customers, tickets and committed actions,
and the help-center index (with its TF-IDF maths). Keys stay under the product's prefix."""
