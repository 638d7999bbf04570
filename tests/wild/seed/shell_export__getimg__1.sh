# ~/.zshrc additions
export PATH="$HOME/.cargo/bin:$PATH"
export GETIMG_API_KEY=key-IiQwtiQJHoUyM5WIpCKhgGCvFhvIG06i7mo7jd5DZ7FA6sKpKPXvFgVuhjnP4tzvpNgQevW7C5LuLqAdVykDTJ4vXY9XzxQZ
alias t2i='getimg t2i -w 512 -a 512 -o png'
