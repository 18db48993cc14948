module gotemplatefixtures

go 1.19
