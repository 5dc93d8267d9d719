"""punie.agent"""
