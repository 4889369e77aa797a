// written by the io part
