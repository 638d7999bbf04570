from gigachat import GigaChat

with GigaChat(credentials="ZGE1MTBmNzktMGQzZC00YmMyLTkzYjItMmM2MGFjMTJmN2NkOjFhOTMxMzhjLTU4Y2ItNDE5ZC1hYWU1LTVmOGQ2ODJiYTQ1NQ==", scope="GIGACHAT_API_PERS", verify_ssl_certs=False) as giga:
    print(giga.chat("Привет!").choices[0].message.content)
