"""Articles in: load, decode, HTML, web furniture, injection, offsets between the text as given and as cleaned."""
