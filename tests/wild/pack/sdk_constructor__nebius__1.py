from openai import OpenAI

client = OpenAI(
    base_url="https://api.studio.nebius.com/v1/",
    api_key="v1.CmMKHHN0YXRpY2tleS1lMDB5N2p5bDU2dDBjM2RnZHoSIXNlcnZpY2VhY2NvdW50LWUwMHB6bDY4MGs5N2lta3pjdDILCMXOvccGEIiSkm06DAjFtcLWBhDH0OvUAUACWgNlMDA.AAAAAAAAAAHZFUxI-wxoJY3azA3Rig8jeGqXPPzqi4E8_xsyGrHgcbr8CbrgPEMMCYk-ov4Xvteewz48bIWln7tuXQWyBHUz",
)
print(client.models.list())
