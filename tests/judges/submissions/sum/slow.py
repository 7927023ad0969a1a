a, b = map(int, input().split())
while True:
    a += 1
print(a + b)
