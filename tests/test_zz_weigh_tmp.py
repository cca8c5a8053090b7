import gzip
from tests.test_learn import COURSE_MODULES
from tests.conftest import login

def test_weigh(client, world):
    login(client, world["participant"])
    sizes = {m: len(gzip.compress(client.get(f"/belajar/ftd-umkm/{m}").data, 9)) for m in COURSE_MODULES}
    print("WEIGH", min(sizes.values()), max(sizes.items(), key=lambda kv: kv[1]))
