"""Writes countries.mmdb, the test fixture for .mmdb country lookups.

Run once by hand (pip install mmdb_writer netaddr); the output is committed.
The networks match the tests' range files: 127.0.0.1 is ZZ, 127.0.0.2 is YY,
2001:db8::/32 is DE.
"""
import os
from mmdb_writer import MMDBWriter
from netaddr import IPSet

writer = MMDBWriter(ip_version=6, database_type="Collector-Test-Country", ipv4_compatible=True)
writer.insert_network(IPSet(["127.0.0.1/32"]), {"country": {"iso_code": "ZZ"}})
writer.insert_network(IPSet(["127.0.0.2/32"]), {"country": {"iso_code": "YY"}})
writer.insert_network(IPSet(["2001:db8::/32"]), {"country": {"iso_code": "DE"}})
writer.to_db_file(os.path.join(os.path.dirname(os.path.abspath(__file__)), "countries.mmdb"))
