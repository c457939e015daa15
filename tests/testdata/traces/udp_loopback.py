import socket
a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(("127.0.0.1", 0))
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); b.bind(("127.0.0.1", 0))
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); c.connect(b.getsockname())
for i in range(3):
    a.sendto(b"datagram %d from a\n" % i, b.getsockname())
    b.recvfrom(100)
c.send(bytes(range(256))[:200])
b.recvfrom(300)
b.sendto(b"reply to c", c.getsockname())
c.recv(100)
